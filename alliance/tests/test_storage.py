"""Private files in an S3-protocol object store (MEDIA_STORAGE=s3, alliance/storage.py), against moto's mock of S3.

The same services, task bodies and permission-checked views as with the local disk: an upload lands in the bucket,
a worker's PDF is written there, a download streams the object's body with the usual headers, a refusal stays one.
"""

import io

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import reverse
from moto import mock_aws
from PIL import Image
from storages.backends.s3 import S3File

from alliance.downloads import private_file_response
from alliance.storage import PrivateS3Storage
from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from members import services, tasks
from members.models import Certificate
from members.tests.factories import ApplicationFactory, admitted_member
from members.tests.test_validators import PDF

pytestmark = pytest.mark.django_db
BUCKET, REGION = "portal-media", "cn-north-1"


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    """An empty private bucket as the default storage; MEDIA_ROOT an empty folder that must stay empty."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "alliance.storage.PrivateS3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "region_name": REGION, "file_overwrite": False, "default_acl": None,
                        "querystring_auth": False},
        }}
        yield client
        assert not settings.MEDIA_ROOT.exists()  # nothing went to the local disk


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def body(client, key):
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_the_default_storage_is_the_object_store(bucket):
    assert isinstance(default_storage, PrivateS3Storage)


def test_an_uploaded_attachment_is_stored_in_the_bucket(bucket):
    app = ApplicationFactory()
    attachment = services.attachment_add(actor=app.applicant, application=app,
                                         uploaded=SimpleUploadedFile("营业执照.pdf", PDF))
    assert keys(bucket) == [attachment.file.name]
    assert body(bucket, attachment.file.name) == PDF


def test_the_render_task_writes_the_certificate_into_the_bucket_once(bucket):
    member, _ = admitted_member()
    certificate = Certificate.objects.get(member=member)
    tasks.certificate_render(certificate.pk)
    certificate.refresh_from_db()
    name = f"members/certificates/{certificate.token}.pdf"
    assert certificate.status == Certificate.Status.READY and certificate.file.name == name
    assert keys(bucket) == [name]
    pdf = body(bucket, name)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    tasks.certificate_render(certificate.pk)  # a second delivery of the same message writes nothing
    assert keys(bucket) == [name] and body(bucket, name) == pdf


def _ready_certificate(member, content=b"%PDF-1.4 certificate"):
    certificate = Certificate.objects.get(member=member, revoked_at__isnull=True)
    certificate.file.save("c.pdf", ContentFile(content), save=False)
    certificate.status = Certificate.Status.READY
    certificate.save()
    return certificate


def test_a_download_streams_the_objects_body_with_the_private_file_headers(bucket, client, monkeypatch):
    # S3File reads a whole object into a spooled copy before its first byte: a download must never go that way.
    monkeypatch.setattr(S3File, "file", property(lambda self: pytest.fail("the object was read whole")))
    content = b"%PDF-1.4 " + b"x" * 200_000
    member, _ = admitted_member()
    certificate = _ready_certificate(member, content)
    client.force_login(member.user)
    response = client.get(reverse("members:certificate_download", args=[certificate.pk]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"].startswith("attachment;") and ".pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == content


def test_an_attachment_opens_for_its_applicant_and_the_staff_from_the_bucket(bucket, client):
    app = ApplicationFactory()
    attachment = services.attachment_add(actor=app.applicant, application=app,
                                         uploaded=SimpleUploadedFile("a.pdf", PDF))
    for user in (app.applicant, staff_of(app.alliance)):
        client.force_login(user)
        response = client.get(attachment.get_absolute_url())
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["other_person", "other_staff"])
def test_a_download_refused_on_the_disk_is_refused_from_the_bucket(bucket, client, who):
    member, _ = admitted_member()
    certificate = _ready_certificate(member)
    app = ApplicationFactory()
    attachment = services.attachment_add(actor=app.applicant, application=app,
                                         uploaded=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(UserFactory() if who == "other_person" else staff_of(AllianceFactory()))
    assert client.get(reverse("members:certificate_download", args=[certificate.pk])).status_code == 403
    assert client.get(attachment.get_absolute_url()).status_code == 403


def test_a_file_missing_from_the_bucket_is_not_found(bucket, client):
    member, _ = admitted_member()
    certificate = _ready_certificate(member)
    bucket.delete_object(Bucket=BUCKET, Key=certificate.file.name)
    client.force_login(member.user)
    assert client.get(reverse("members:certificate_download", args=[certificate.pk])).status_code == 404


def test_the_logo_is_served_from_the_bucket(bucket, client):
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    alliance = AllianceFactory(is_public=True)
    alliance.logo.save("logo.png", ContentFile(png.getvalue()))
    response = client.get(reverse("alliance_logo", args=[alliance.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(png.getvalue()))
    assert b"".join(response.streaming_content) == png.getvalue()


def test_a_stored_files_link_never_signs_a_way_round_the_views(bucket):
    name = default_storage.save("members/certificates/x.pdf", ContentFile(PDF))
    url = default_storage.url(name)
    assert url == f"/media/{name}"  # under MEDIA_URL, which no URL pattern serves, as on the local disk
    assert "Signature" not in url and BUCKET not in url


def test_a_file_typed_by_its_first_bytes_is_fetched_once_and_sent_whole(bucket, monkeypatch):
    monkeypatch.setattr(S3File, "file", property(lambda self: pytest.fail("the object was read whole")))
    fetches = []
    open_stream = PrivateS3Storage.open_stream
    monkeypatch.setattr(PrivateS3Storage, "open_stream", lambda self, name: fetches.append(name) or open_stream(
        self, name))
    content = PDF + b"%" * 100_000
    fieldfile = FieldFile(None, FileField(), default_storage.save("projects/scans/scan", ContentFile(content)))
    response = private_file_response(fieldfile, filename="盖章页")
    assert response["Content-Type"] == "application/pdf" and ".pdf" in response["Content-Disposition"]
    assert response["Content-Length"] == str(len(content))
    assert b"".join(response.streaming_content) == content and len(fetches) == 1
    other = FieldFile(None, FileField(), default_storage.save("projects/scans/other", ContentFile(b"not a scan")))
    with pytest.raises(Http404):
        private_file_response(other, filename="x")
