"""Private files in an S3-protocol object store, for a portal that runs on several machines.

``MEDIA_STORAGE=s3`` (alliance/settings.py) puts every private file (attachments, scans, certificates, receipts,
letters, the alliances' logos) in one bucket that every web process and worker reaches, instead of the local
disk of whichever process wrote it. The object store of a Chinese cloud host speaks the same protocol.

Two differences from django-storages' ``S3Storage``, both to keep what the filesystem storage does:

- ``url()`` never signs a link to the bucket. A private file is served only through the views that check the
  permission (alliance/downloads.py); a signed URL in the admin would be a way round them. The link it gives is
  under MEDIA_URL, which no URL pattern serves, as with the filesystem.
- ``open_stream()`` hands the object's body over as the store sends it, with its length, so a download is
  streamed to the browser instead of being read whole into memory first (``S3File`` spools the whole object).
"""

from urllib.parse import urljoin

from botocore.exceptions import ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

MISSING = {"NoSuchKey", "404", "NotFound"}


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def open_stream(self, name):
        """(file-like body, size in bytes) of the stored object; FileNotFoundError when there is none."""
        key = self._normalize_name(clean_name(name))
        try:
            answer = self.bucket.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in MISSING:
                raise FileNotFoundError(name) from exc
            raise
        return answer["Body"], answer.get("ContentLength")
