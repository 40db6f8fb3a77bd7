"""Who may open a jury: its president, its members and the secretariat (403 for anyone else)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from juries import roles
from juries.models import JurySession


@dataclass(frozen=True)
class JuryAccess:
    jury: JurySession
    is_president: bool
    is_member: bool
    is_secretariat: bool

    @property
    def can_decide(self) -> bool:
        """The president and the members record decisions; the secretariat reads and prints."""
        return (self.is_president or self.is_member) and not self.jury.is_deliberated

    @property
    def can_deliberate(self) -> bool:
        return self.is_president


def juries_for(user) -> QuerySet[JurySession]:
    qs = JurySession.objects.select_related("semester", "formation", "president")
    if roles.is_secretariat(user):
        return qs.all()
    return qs.filter(Q(president=user) | Q(members=user)).distinct()


def jury_access(request, pk: int) -> JuryAccess:
    jury = get_object_or_404(JurySession.objects.select_related("semester", "formation", "president"), pk=pk)
    user = request.user
    is_president = user.pk == jury.president_id
    is_member = is_president or jury.members.filter(pk=user.pk).exists()
    is_secretariat = roles.is_secretariat(user)
    if not (is_member or is_secretariat):
        raise PermissionDenied("Seuls les membres de ce jury, son président et le secrétariat peuvent l'ouvrir.")
    return JuryAccess(jury=jury, is_president=is_president, is_member=is_member, is_secretariat=is_secretariat)
