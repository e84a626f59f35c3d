"""/api/v1/imports/ and /api/v1/transactions/sync/ (docs/api.md)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from finance.api.serializers import TransactionSerializer, UserAccountField, money
from finance.imports.pipeline import (
    FileTooLargeError,
    UnsupportedFormatError,
    csv_mapping_forget,
    import_job_create,
    upload_size_check,
)
from finance.imports.revert import ImportNotRevertible, ImportRowsEdited, import_job_revert
from finance.imports.sync import SYNC_SOURCES, sync_consent_check, transaction_sync
from finance.models import CsvMapping, ImportJob


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id", "status", "format", "filename", "account", "total", "processed", "created", "duplicates",
            "errors", "message", "skip_invalid", "created_at", "started_at", "finished_at", "reverted_at",
        ]  # fmt: skip
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="csv, ofx, qif, camt053, mt940 or json; recognised from the content if left out.",
    )
    account = UserAccountField(required=False, allow_null=True)
    skip_invalid = serializers.BooleanField(required=False, default=False)


class RevertSerializer(serializers.Serializer):
    force = serializers.BooleanField(
        required=False, default=False, help_text="Revert even if some of the import's transactions were edited since."
    )


class RevertedSerializer(serializers.Serializer):
    removed = serializers.IntegerField(help_text="How many transactions left the ledger")
    job = ImportJobSerializer()


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.none()  # names the model for the schema; get_queryset answers per user
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return ImportJob.objects.filter(user=self.request.user).defer("content")

    @extend_schema(request=ImportUploadSerializer, responses={202: ImportJobSerializer})
    def create(self, request):
        upload = ImportUploadSerializer(data=request.data, context={"request": request})
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            job = import_job_create(
                user=request.user, content=_read(data["file"]), filename=data["file"].name or "",
                format=(data.get("format") or "").strip().lower(), account=data.get("account"),
                skip_invalid=data["skip_invalid"],
            )  # fmt: skip
        except FileTooLargeError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        except UnsupportedFormatError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
        job = self.get_queryset().get(pk=job.pk)  # in eager mode it has already run
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=RevertSerializer,
        responses={
            200: RevertedSerializer,
            409: OpenApiResponse(
                description="Rows were edited since (retry with force), or not finished/already reverted"
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def revert(self, request, pk=None):
        """Remove what this import created (one undo step)."""
        choice = RevertSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        try:
            removed = import_job_revert(user=request.user, job_id=int(pk), force=choice.validated_data["force"])
        except (ImportJob.DoesNotExist, ValueError):
            raise Http404 from None
        except ImportRowsEdited as exc:
            return Response({"detail": str(exc), "edited": exc.count}, status=status.HTTP_409_CONFLICT)
        except ImportNotRevertible as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        job = self.get_queryset().get(pk=pk)
        return Response(RevertedSerializer({"removed": removed, "job": job}).data)


class CsvMappingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CsvMapping
        fields = ["id", "headers", "columns", "date_order", "decimal_comma", "updated_at"]
        read_only_fields = fields


class CsvMappingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """CSV column choices remembered per header row (confirmed on the Import page); delete one to forget it."""

    serializer_class = CsvMappingSerializer
    queryset = CsvMapping.objects.none()

    def get_queryset(self):
        return CsvMapping.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        csv_mapping_forget(user=self.request.user, mapping_id=instance.pk)


def _read(upload) -> bytes:
    upload_size_check(upload.size)
    return upload.read()


class SyncSerializer(serializers.Serializer):
    """The transactions API's own fields and checks, plus the provider's id and the consent flag."""

    source = serializers.ChoiceField(choices=SYNC_SOURCES)
    external_id = serializers.CharField(max_length=150)
    consent_given = serializers.BooleanField()
    amount = money()
    currency = serializers.CharField(max_length=3)
    occurred_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["expense", "income"], required=False, default="expense")
    merchant = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    location = serializers.CharField(required=False, allow_blank=True, default="")


class TransactionSyncView(APIView):
    @extend_schema(request=SyncSerializer, responses={200: TransactionSerializer, 201: TransactionSerializer})
    def post(self, request):
        incoming = SyncSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        sync_consent_check(
            user=request.user, consent_given=values.pop("consent_given"), ip=request.META.get("REMOTE_ADDR")
        )
        txn, created = transaction_sync(user=request.user, **values)
        answer = TransactionSerializer(txn, context={"request": request}).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
