"""django-simple-history in the admin, in French: who, when, and each field's old → new value."""

from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    object_history_list_template = "secretariat/admin/object_history_list.html"
