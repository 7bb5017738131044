"""The one write idiom of every API viewset (docs/architecture.md, One way in for every write).

1. the serializer cleans the input (types, required fields, codes; no business decisions);
2. the service writes: `service_create(data)`, `service_update(instance, data)`, `service_delete(instance)`;
3. the answer is the detail read back through the scoped selector (`detail_queryset()`, by default
   `get_queryset()`), serialized by `detail_serializer_class` (by default `serializer_class`), with its ETag,
   so a write answers exactly what a later GET answers.

PATCH and DELETE lock the row and check If-Match first (ConcurrencyMixin: 412 when stale, nothing written).
Scope is the selector's (`core.scope.restrict_to_scope` behind every `*_in_scope`): a row outside it is 404.
Errors leave as core/api/errors.py shapes them.

A viewset takes the actions it offers: `ServiceViewSet` is the usual list, detail, POST and PATCH; a narrower
one composes `WriteViewSet` with DRF's list/retrieve mixins and `ServiceCreateMixin` / `ServicePatchMixin`
(DELETE: add "delete" to `http_method_names`, ConcurrencyMixin.destroy calls `service_delete`).
"""

from django.db import transaction
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.api.mixins import ConcurrencyMixin, etag_for


class WriteViewSet(ConcurrencyMixin, viewsets.GenericViewSet):
    # The base: serializer classes per action, the service hooks and the read-back answer. No action of its own
    # but ConcurrencyMixin's retrieve (with ETag) and locked destroy (routed where "delete" is allowed). Comments,
    # not a docstring: drf-spectacular would show a docstring as the description of every operation.

    http_method_names = ["get", "post", "patch", "head", "options"]
    create_serializer_class = None  # the POST input, when it differs from serializer_class
    update_serializer_class = None  # the PATCH input, when it differs from serializer_class
    detail_serializer_class = None  # the answer of every write; serializer_class when None
    patch_is_partial = True  # False where a PATCH input names all its fields (a finding's closure)

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class is not None:
            return self.create_serializer_class
        if self.action == "partial_update" and self.update_serializer_class is not None:
            return self.update_serializer_class
        return super().get_serializer_class()

    # 2. the services ---------------------------------------------------------------------------------

    def service_create(self, data: dict):  # pragma: no cover - every viewset offering POST defines it
        """Write through the app's service; the row, or (row, created) where a POST may change an existing one."""
        raise NotImplementedError

    def service_update(self, instance, data: dict):  # pragma: no cover - every viewset offering PATCH defines it
        """Write through the app's service (inside the transaction holding the row's lock); the row."""
        raise NotImplementedError

    def service_delete(self, instance) -> None:  # pragma: no cover - every viewset offering DELETE defines it
        raise NotImplementedError

    def perform_destroy(self, instance):
        self.service_delete(instance)

    # 3. the answer -----------------------------------------------------------------------------------

    def detail_queryset(self):
        """Where the written row is read back: the viewset's scoped selector."""
        return self.get_queryset()

    def detail_data(self, instance) -> dict:
        serializer_class = self.detail_serializer_class or self.serializer_class
        return serializer_class(instance, context=self.get_serializer_context()).data

    def respond(self, instance, status_code=status.HTTP_200_OK) -> Response:
        """The row as its detail GET shows it, read again through the selector, with its ETag (a row that is never
        changed, such as an upload, has no version and no ETag)."""
        fresh = self.detail_queryset().get(pk=instance.pk)
        headers = {"ETag": etag_for(fresh)} if hasattr(fresh, "version") else None
        return Response(self.detail_data(fresh), status=status_code, headers=headers)


class ServiceCreateMixin:
    # POST: clean, `service_create`, 201 with the detail (200 when the service says the row existed).

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = self.service_create(dict(serializer.validated_data))
        instance, created = result if isinstance(result, tuple) else (result, True)
        return self.respond(instance, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ServicePatchMixin:
    # PATCH: lock the row and check If-Match, clean, `service_update`, 200 with the detail.

    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_object_for_write()
            serializer = self.get_serializer(instance, data=request.data, partial=self.patch_is_partial)
            serializer.is_valid(raise_exception=True)
            result = self.service_update(instance, dict(serializer.validated_data))
        return self.respond(result[0] if isinstance(result, tuple) else result)


class ServiceViewSet(ServiceCreateMixin, ServicePatchMixin, mixins.ListModelMixin, WriteViewSet):
    # GET (list; detail with ETag: ConcurrencyMixin's retrieve), POST and PATCH (locked, If-Match) through the
    # services; no PUT and no DELETE.
    pass
