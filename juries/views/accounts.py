"""Password reset by e-mail, with Django's own views: French templates, the student's address as
recorded by the secretariat accepted as well as the account's, and throttled like the login.

Nothing on the pages or in the mails tells whether an address belongs to an account: the same
"mail sent if…" page follows every request, and only an address on file ever receives a mail.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse_lazy

from juries import throttle

WINDOW = 3600


class ResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse électronique"

    def get_users(self, email):
        """Active accounts with a password whose address, or whose student's address, is ``email``."""
        users = get_user_model()._default_manager.filter(
            Q(email__iexact=email) | Q(student__email__iexact=email), is_active=True,
        ).distinct()
        return (u for u in users if u.has_usable_password())

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # To the address typed, which is on file for this account (the student's may be the only one).
        super().send_mail(subject_template_name, email_template_name, context, from_email,
                          self.cleaned_data["email"], html_email_template_name=html_email_template_name)

    def save(self, *args, **kwargs):
        # A mailbox is sent a few links an hour at most, whoever asks and from wherever.
        key = f"password-reset-email:{self.cleaned_data['email'].strip().lower()}"
        if throttle.hit(key, limit=settings.QLIO_PASSWORD_RESET_LIMIT, window=WINDOW):
            return
        super().save(*args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        key = f"password-reset:{request.META.get('REMOTE_ADDR', '')}"
        if throttle.hit(key, limit=settings.QLIO_PASSWORD_RESET_LIMIT * 4, window=WINDOW):
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html",
    extra_context={"hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)})
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html")
