from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=2&par_page=100`: 50 rows a page by default, 500 at most."""

    page_size = 50
    page_size_query_param = "par_page"
    max_page_size = 500
