"""Pagination: numbered pages by default, cursor pagination for lists that grow without bound."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CursorPagination(pagination.CursorPagination):
    """Constant-time pages at any depth (P3); the view's ordering must be unique, e.g. ("-id",)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"
