"""The auth, profile and consent API (docs/api.md, "Auth and profile", consents)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.views import TokenRefreshView

from users import exports, selectors, services, views
from users.credentials import FamilyRefreshToken, token_pair_issue
from users.models import ConsentEvent, ConsentScope, ConsentSource, DataExport, LoginMethod, User
from users.throttling import AuthEmailRateThrottle, AuthRateThrottle, client_ip

TokenPairSerializer = inline_serializer(
    "TokenPair", {"access": serializers.CharField(), "refresh": serializers.CharField()}
)


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    timezone = serializers.CharField(required=False, default="UTC")
    currency = serializers.CharField(required=False, default="USD")
    display_name = serializers.CharField(required=False, default="", allow_blank=True)


class ProfileSerializer(serializers.ModelSerializer):
    default_account = serializers.SerializerMethodField(
        help_text="The id of the account transactions go to when none is named (change it on the account)."
    )

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "timezone", "currency", "date_joined", "default_account"]
        read_only_fields = ["id", "email", "date_joined"]

    def get_default_account(self, user: User) -> int | None:
        # Read through the reverse relation, so users never imports finance (see users/signals.py).
        return user.accounts.filter(is_default=True).values_list("pk", flat=True).first()


class CredentialsSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False)


class OtpRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()


class OtpVerifySerializer(serializers.Serializer):
    email = serializers.EmailField()
    code = serializers.CharField(max_length=12)


class AuthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle]


class RegisterView(AuthView):
    @extend_schema(request=RegisterSerializer, responses={201: ProfileSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data, ip=client_ip(request), source=ConsentSource.API)
        return Response(ProfileSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(AuthView):
    def get_authenticate_header(self, request):
        # Without this, DRF turns a wrong password into 403 on a view that has no authenticators.
        return 'Bearer realm="api"'

    @extend_schema(request=CredentialsSerializer, responses={200: TokenPairSerializer, 401: OpenApiResponse()})
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.password_login(  # the HttpRequest, where a lockout is flagged for the middleware
            request=request._request, **serializer.validated_data, method=LoginMethod.JWT, ip=client_ip(request)
        )
        if user is None:
            raise AuthenticationFailed("No active account found with this email and password.")
        return Response(token_pair_issue(user))


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class LogoutView(AuthView):
    """A program logs out: its refresh token is revoked and its open sockets are closed (4401)."""

    @extend_schema(request=LogoutSerializer, responses={204: OpenApiResponse(description="Logged out")})
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.token_logout(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class RefreshSerializer(TokenRefreshSerializer):
    token_class = FamilyRefreshToken

    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except User.DoesNotExist:  # the account was deleted since
            raise AuthenticationFailed("No active account found for the given token.", "no_active_account")


class RefreshView(TokenRefreshView):
    """A new access token from a refresh token that is neither expired nor logged out."""

    serializer_class = RefreshSerializer


class OtpRequestView(AuthView):
    @extend_schema(request=OtpRequestSerializer, responses={202: OpenApiResponse(description="Always accepted")})
    def post(self, request):
        serializer = OtpRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.otp_request(email=serializer.validated_data["email"], ip=client_ip(request))
        return Response(
            {"detail": "If an account exists for this address, a code is on its way."},
            status=status.HTTP_202_ACCEPTED,
        )


class OtpVerifyView(AuthView):
    throttle_classes = [AuthRateThrottle, AuthEmailRateThrottle]

    @extend_schema(request=OtpVerifySerializer, responses={200: TokenPairSerializer})
    def post(self, request):
        serializer = OtpVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.otp_verify(**serializer.validated_data, ip=client_ip(request))
        return Response(token_pair_issue(user))


class EraseSerializer(serializers.Serializer):
    password = serializers.CharField(required=False, trim_whitespace=False, write_only=True)
    code = serializers.CharField(required=False, max_length=12, write_only=True)

    def validate(self, attrs):
        if not attrs.get("password") and not attrs.get("code"):
            raise serializers.ValidationError({"password": ["Give your password, or a login code we emailed you."]})
        return attrs


class MeView(APIView):
    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(request=EraseSerializer, responses={204: OpenApiResponse(description="Erased; cannot be undone")})
    def delete(self, request):
        serializer = EraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.account_erase_confirmed(user=request.user, **serializer.validated_data, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request):
        serializer = ProfileSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, **serializer.validated_data)
        return Response(ProfileSerializer(user).data)


class ConsentStateSerializer(serializers.Serializer):
    scope = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    granted = serializers.BooleanField()
    changed_at = serializers.DateTimeField(allow_null=True)
    source = serializers.CharField(allow_null=True)


class ConsentChangeSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    granted = serializers.BooleanField()


class ConsentEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsentEvent
        fields = ["id", "scope", "granted", "source", "created_at"]


def _state_of(user: User, scope: str) -> dict:
    state = next(state for state in selectors.consent_states(user=user) if state.scope == scope)
    return ConsentStateSerializer(state).data


class ConsentView(APIView):
    @extend_schema(responses=ConsentStateSerializer(many=True))
    def get(self, request):
        return Response(ConsentStateSerializer(selectors.consent_states(user=request.user), many=True).data)

    @extend_schema(
        request=ConsentChangeSerializer,
        responses={201: ConsentStateSerializer, 200: OpenApiResponse(ConsentStateSerializer, "Already so")},
    )
    def post(self, request):
        serializer = ConsentChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.consent_set(
            user=request.user, **serializer.validated_data, source=ConsentSource.API, ip=client_ip(request)
        )
        answer = status.HTTP_200_OK if event is None else status.HTTP_201_CREATED
        return Response(_state_of(request.user, serializer.validated_data["scope"]), status=answer)


class ConsentHistoryView(generics.ListAPIView):
    serializer_class = ConsentEventSerializer

    def get_queryset(self):
        return selectors.consent_history(user=self.request.user)


class DataExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DataExport
        fields = [
            "id",
            "status",
            "progress",
            "created_at",
            "finished_at",
            "expires_at",
            "size",
            "download_url",
            "message",
        ]

    def get_download_url(self, export) -> str | None:
        if not selectors.export_downloadable(export=export):
            return None
        return self.context["request"].build_absolute_uri(reverse("me-export-download", args=[export.pk]))


class DataExportView(APIView):
    @extend_schema(request=None, responses={202: DataExportSerializer})
    def post(self, request):
        export = exports.export_request(user=request.user)
        export.refresh_from_db()
        return Response(
            DataExportSerializer(export, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )


class DataExportDetailView(APIView):
    @extend_schema(responses=DataExportSerializer)
    def get(self, request, export_id: int):
        export = get_object_or_404(selectors.exports_of(user=request.user), pk=export_id)
        return Response(DataExportSerializer(export, context={"request": request}).data)


class DataExportDownloadView(APIView):
    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            410: OpenApiResponse(description="The link has expired; ask for a new export."),
        }
    )
    def get(self, request, export_id: int):
        return views.export_download(request, export_id)
