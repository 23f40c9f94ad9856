"""Address endpoints: the signed-in user's address book (API.md, Addresses and areas)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meiduo.addresses import selectors, services
from meiduo.addresses.serializers import (
    AddressBookSerializer,
    AddressSerializer,
    AddressTitleSerializer,
)
from meiduo.core.serializers import MessageSerializer
from meiduo.users.auth import signed_in_user


class AddressListView(APIView):
    """GET addresses/ lists the address book; POST adds an address."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="addresses_list", responses=AddressBookSerializer)
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        addresses = AddressSerializer(selectors.address_list(user=user), many=True).data
        return Response(
            {
                "user_id": user.pk,
                "default_address_id": user.default_address_id,
                "limit": services.ADDRESS_LIMIT,
                "addresses": addresses,
            }
        )

    @extend_schema(request=AddressSerializer, responses={201: AddressSerializer})
    def post(self, request: Request) -> Response:
        serializer = AddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = services.address_create(user=signed_in_user(request), **serializer.validated_data)
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetailView(APIView):
    """GET, PUT (replace) and DELETE (hide) one of the user's addresses."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AddressSerializer)
    def get(self, request: Request, address_id: int) -> Response:
        return Response(
            AddressSerializer(selectors.address_get(user=signed_in_user(request), address_id=address_id)).data
        )

    @extend_schema(request=AddressSerializer, responses=AddressSerializer)
    def put(self, request: Request, address_id: int) -> Response:
        serializer = AddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = services.address_update(
            user=signed_in_user(request), address_id=address_id, **serializer.validated_data
        )
        return Response(AddressSerializer(address).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, address_id: int) -> Response:
        services.address_delete(user=signed_in_user(request), address_id=address_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddressStatusView(APIView):
    """PUT addresses/{id}/status/: make the address the default one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=MessageSerializer)
    def put(self, request: Request, address_id: int) -> Response:
        services.address_set_default(user=signed_in_user(request), address_id=address_id)
        return Response({"message": "OK"})


class AddressTitleView(APIView):
    """PUT addresses/{id}/title/: rename the address."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AddressTitleSerializer, responses=AddressTitleSerializer)
    def put(self, request: Request, address_id: int) -> Response:
        serializer = AddressTitleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = services.address_retitle(
            user=signed_in_user(request), address_id=address_id, title=serializer.validated_data["title"]
        )
        return Response({"title": address.title})
