"""Optimistic concurrency for detail views: ETag on read, If-Match on write (412 when stale)."""

from django.db import transaction
from rest_framework import status
from rest_framework.response import Response

from core.api.errors import PreconditionFailed


def etag_for(instance) -> str:
    return f'"{instance.version}"'


def _header_tags(value: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in value.split(",") if tag.strip()}


class ETagMixin:
    """For read-only viewsets over BaseModel rows: GET sends `ETag: "<version>"` and answers 304
    to a matching If-None-Match."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        etag = etag_for(instance)
        if etag in _header_tags(request.headers.get("If-None-Match", "")):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(self.retrieve_data(instance), headers={"ETag": etag})

    def retrieve_data(self, instance) -> dict:
        """The body of a detail GET (a viewset whose detail takes query parameters shapes it here)."""
        return self.get_serializer(instance).data


def check_if_match(request, row) -> None:
    """412 (PreconditionFailed) when the request's If-Match names none of the row's current ETag (nor `*`)."""
    if_match = request.headers.get("If-Match")
    if if_match is not None and "*" not in _header_tags(if_match) and etag_for(row) not in _header_tags(if_match):
        raise PreconditionFailed()


class ConcurrencyMixin(ETagMixin):
    """For writable viewsets over BaseModel rows: besides the ETag, PUT/PATCH/DELETE lock the row
    and, with an If-Match that no longer matches, answer 412 and write nothing."""

    def get_object_for_write(self):
        """The object, locked for the rest of the transaction, after the If-Match check."""
        instance = self.get_object()
        locked = type(instance).objects.select_for_update(of=("self",)).get(pk=instance.pk)
        check_if_match(self.request, locked)
        return locked

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object_for_write()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
        return self.updated_response(serializer)

    def updated_response(self, serializer):
        """The answer to a successful update: the serializer's data with the new ETag."""
        return Response(serializer.data, headers={"ETag": etag_for(serializer.instance)})

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_object_for_write()
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

