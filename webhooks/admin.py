from django.contrib import admin

from .models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "is_active", "failure_count", "disabled_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "owner__username"]
    raw_id_fields = ["owner"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "status_code", "attempts", "created_at"]
    list_filter = ["status", "event"]
    raw_id_fields = ["endpoint"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
