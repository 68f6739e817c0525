"""Ways to reach a service: contacts, phones, languages and opening schedules."""

from django.db import models

from concord.core.sensitivity import classify
from concord.directory.models.base import Frequency, HsdsModel, Weekday, choice_constraint


class Contact(HsdsModel):
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    service_at_location = models.ForeignKey(
        "directory.ServiceAtLocation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    location = models.ForeignKey(
        "directory.Location",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)

    def __str__(self) -> str:
        return self.title or str(self.id)


class Phone(HsdsModel):
    location = models.ForeignKey(
        "directory.Location", null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        "directory.ServiceAtLocation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    number = models.CharField(max_length=100)
    extension = models.IntegerField(null=True, blank=True)
    type = models.CharField(max_length=32, blank=True)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.number


class Language(HsdsModel):
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
    )
    location = models.ForeignKey(
        "directory.Location",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=200, blank=True)
    # ISO 639-1 or 639-3; not a closed list here, since HSDS accepts either.
    code = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        # The search filters on the language spoken.
        indexes = [models.Index(fields=["code"], name="directory_language_code_idx")]

    def __str__(self) -> str:
        return self.name or self.code


class Schedule(HsdsModel):
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    location = models.ForeignKey(
        "directory.Location",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    service_at_location = models.ForeignKey(
        "directory.ServiceAtLocation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    # iCalendar values kept as written: they may be dates or date-times.
    dtstart = models.CharField(max_length=32, blank=True)
    timezone = models.FloatField(null=True, blank=True)
    until = models.CharField(max_length=32, blank=True)
    count = models.IntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, choices=Weekday.choices, blank=True)
    freq = models.CharField(max_length=8, choices=Frequency.choices, blank=True)
    interval = models.IntegerField(null=True, blank=True)
    byday = models.CharField(max_length=100, blank=True)
    byweekno = models.CharField(max_length=200, blank=True)
    bymonthday = models.CharField(max_length=200, blank=True)
    byyearday = models.CharField(max_length=400, blank=True)
    description = models.TextField(blank=True)
    # HSDS times may carry a UTC offset ("09:00-05:00"), which a TimeField would drop.
    opens_at = models.CharField(max_length=16, blank=True)
    closes_at = models.CharField(max_length=16, blank=True)
    schedule_link = models.CharField(max_length=500, blank=True)
    attending_type = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            choice_constraint("wkst", Weekday, "directory_schedule_wkst_valid", blank=True),
            choice_constraint("freq", Frequency, "directory_schedule_freq_valid", blank=True),
        ]

    def __str__(self) -> str:
        return self.description[:60] or str(self.id)


# A contact is usually a named staff member: their own name and email are theirs, not the
# service's, so they stay internal and the public serializer leaves them (and the phones
# that belong to a contact) out. Title and department describe the role only.
classify(
    "directory.contact",
    public=(
        "id",
        "organization",
        "service",
        "service_at_location",
        "location",
        "title",
        "department",
    ),
    internal=("name", "email"),
)
classify(
    "directory.phone",
    public=(
        "id",
        "location",
        "service",
        "organization",
        "contact",
        "service_at_location",
        "number",
        "extension",
        "type",
        "description",
    ),
)
classify(
    "directory.language",
    public=("id", "service", "location", "phone", "name", "code", "note"),
)
classify(
    "directory.schedule",
    public=(
        "id",
        "service",
        "location",
        "service_at_location",
        "valid_from",
        "valid_to",
        "dtstart",
        "timezone",
        "until",
        "count",
        "wkst",
        "freq",
        "interval",
        "byday",
        "byweekno",
        "bymonthday",
        "byyearday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ),
)
