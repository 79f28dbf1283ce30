from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """DRF page-number pages: 20 by default, ?page_size= up to 1000."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 1000
