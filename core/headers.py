"""Response headers every answer needs, whatever view made it."""

from django.utils.cache import patch_cache_control

API_PREFIX = "/api/v1/"


class PrivateApiAnswersMiddleware:
    """API answers carry a person's data (or their tokens): no shared cache may keep them, nor the browser's disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            patch_cache_control(response, private=True, no_store=True)
        return response
