"""The auth, profile and consent API (docs/api.md, "Auth and profile", consents)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.views import TokenRefreshView

from users import selectors, services
from users.credentials import FamilyRefreshToken, token_pair_issue
from users.models import ConsentEvent, ConsentScope, ConsentSource, LoginMethod, User
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


class MeView(APIView):
    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

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
