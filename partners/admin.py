from django.contrib import admin

from partners.models import PartnerToken, TokenWrite


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    """Read and revoke only: keys are made on the account page, where the key is shown once."""

    list_display = ["name", "prefix", "user", "organisation", "scopes", "last_used", "expiry_date", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "prefix", "user__email", "organisation__name"]
    readonly_fields = ["name", "prefix", "user", "organisation", "scopes", "created", "last_used", "expiry_date"]
    fields = [*readonly_fields, "revoked"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(TokenWrite)
class TokenWriteAdmin(admin.ModelAdmin):
    list_display = ["created_at", "prefix", "user", "organisation", "method", "path", "status"]
    list_filter = ["method", "status"]
    search_fields = ["prefix", "path", "user__email"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
