"""What every API serializer that writes shares."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers


class RefuseUnknownFields:
    """A body naming a field the serializer does not have is a 400 naming it, nothing written: DRF would ignore it, and
    a partner's misspelt field ("summmary") would be lost without a word. Read-only fields are known (a row read from
    the API can be sent back as it is); only names the serializer has never heard of are refused."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)
