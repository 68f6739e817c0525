from collections.abc import Iterator

import pytest
from django.db import connection

from concord.core.tests.encrypted_models import SecretNote


@pytest.fixture
def secret_note_table(transactional_db: None) -> Iterator[type[SecretNote]]:
    # Transactional: SQLite cannot change its schema inside the test's transaction.
    with connection.schema_editor() as editor:
        editor.create_model(SecretNote)
    yield SecretNote
    with connection.schema_editor() as editor:
        editor.delete_model(SecretNote)
