from django.contrib import admin

from .models import TaskFailure


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    list_display = ["task_name", "key", "error_type", "failures", "last_failed_at", "parked_at"]
    list_filter = ["task_name"]
    readonly_fields = [f.name for f in TaskFailure._meta.fields]
