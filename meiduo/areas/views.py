"""Area endpoints: the provinces and one division's subdivisions, cached on the server and by HTTP caches."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from meiduo.areas.caching import cached_area_response
from meiduo.areas.selectors import area_with_subs, province_list
from meiduo.areas.serializers import AreaSerializer, AreaWithSubsSerializer


class ProvinceListView(APIView):
    """GET areas/: every province."""

    authentication_classes = ()
    permission_classes = ()

    @extend_schema(responses=AreaSerializer(many=True))
    def get(self, request: Request) -> HttpResponse:
        return cached_area_response(request, lambda: AreaSerializer(province_list(), many=True).data)


class AreaDetailView(APIView):
    """GET areas/{id}/: one division with its direct subdivisions."""

    authentication_classes = ()
    permission_classes = ()

    @extend_schema(responses=AreaWithSubsSerializer)
    def get(self, request: Request, area_id: int) -> HttpResponse:
        return cached_area_response(request, lambda: AreaWithSubsSerializer(area_with_subs(area_id)).data)
