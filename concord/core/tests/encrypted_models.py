"""A model with every kind of encrypted field, for tests only.

It lives in an isolated app registry (``isolate_apps``), so migrations, the sensitivity
test and ``rotate_field_key`` never see it; the ``secret_note_table`` fixture (conftest.py)
creates its table for one test and drops it after.
"""

from django.db import models
from django.test.utils import isolate_apps

from concord.core.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from concord.core.storage import encrypted_storage

with isolate_apps("concord.core"):

    class SecretNote(models.Model):
        label = models.CharField(max_length=20, blank=True)
        body = EncryptedTextField(blank=True)
        name = EncryptedCharField(max_length=20, blank=True)
        details = EncryptedJSONField(null=True, blank=True)
        nickname = EncryptedTextField(null=True, blank=True)
        document = models.FileField(storage=encrypted_storage, blank=True)

        class Meta:
            app_label = "core"
            db_table = "core_test_secret_note"

        def __str__(self) -> str:
            return self.label
