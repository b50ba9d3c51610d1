import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Overbooking, Placement

KEPT_BANNER = _("The banner you chose is kept: see the preview. Choose a file only to replace it.")

# The fields that decide when and where a placement is live, and whether a full slot shows it.
SCHEDULE_FIELDS = ("slot", "starts_at", "ends_at", "position", "is_active")


def confirmation_code(overbookings: list[Overbooking]) -> str:
    """Names what a warning said: a confirmation counts only for the situation it was given
    for, so a placement added by someone else in between brings the warning back."""
    summary = [
        (
            overbooking.starts_at.isoformat(),
            overbooking.ends_at.isoformat(),
            [placement.pk for placement in overbooking.live],
            overbooking.most_live,
            [placement.pk for placement in overbooking.pushed_off],
            overbooking.placement_left_out,
        )
        for overbooking in overbookings
    ]
    return hashlib.sha256(repr(summary).encode()).hexdigest()[:16]


class PlacementAdminForm(forms.ModelForm):
    # Sent by the warning's "Save" button: the person read what saving would displace.
    confirm_overbooking = forms.CharField(required=False, widget=forms.HiddenInput)
    # A banner already uploaded with a submission that came back, so it need not be chosen again.
    held_banner = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Placement
        fields = [
            "advertiser",
            "name",
            "slot",
            "kind",
            "image",
            "alt_text",
            "target_url",
            "network_code",
            "starts_at",
            "ends_at",
            "weight",
            "position",
            "is_active",
        ]

    may_manage_code = False  # set by PlacementAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.overbooking: list[Overbooking] = []
        self.confirmation = ""
        if "image" in self.fields:
            # The admin puts a file input in a fieldset whose legend names the group, not
            # the input: give the input its own name for screen readers.
            self.fields["image"].widget.attrs["aria-label"] = self.fields["image"].label

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if "image" in self.files or image is False:  # a new file, or "clear" ticked
            return image
        held = services.held_banner(self.data.get("held_banner", ""))
        if held:
            self["image"].help_text = KEPT_BANNER
        return held or image

    def clean(self):
        cleaned = super().clean()
        # The field is read-only for these people; a hand-made POST that still sends
        # a different tag is refused out loud rather than dropped in silence.
        posted = self.data.get("network_code")
        if (
            not self.may_manage_code
            and posted is not None
            and posted.replace("\r\n", "\n").strip() != self.instance.network_code.strip()
        ):
            raise ValidationError(
                _("Changing the ad network tag needs the “Can manage ad code” permission.")
            )
        self.check_overbooking(cleaned)
        return cleaned

    def check_overbooking(self, cleaned) -> None:
        """Refuses to save a schedule that overbooks its slot until the person confirms the
        warning, which the page shows from ``self.overbooking``."""
        if self.instance.pk and not set(SCHEDULE_FIELDS) & set(self.changed_data):
            return
        if any(cleaned.get(name) is None for name in SCHEDULE_FIELDS):
            return  # a field's own error comes first
        if cleaned["starts_at"] >= cleaned["ends_at"]:
            return
        scheduled = Placement(
            pk=self.instance.pk,
            name=cleaned.get("name", ""),
            advertiser=cleaned.get("advertiser"),
            **{name: cleaned[name] for name in SCHEDULE_FIELDS},
        )
        self.overbooking = scheduled.overbooking()
        if not self.overbooking:
            return
        self.confirmation = confirmation_code(self.overbooking)
        if cleaned.get("confirm_overbooking") != self.confirmation:
            slot = cleaned["slot"]
            self.add_error(
                None,
                ValidationError(
                    _(
                        "“%(slot)s” would hold more than %(count)d live banners: save anyway "
                        "with the button above, or change the schedule."
                    ),
                    code="overbooked",
                    params={"slot": slot.name, "count": slot.max_placements},
                ),
            )
        else:
            self.overbooking = []  # confirmed: nothing left to warn about

    def full_clean(self):
        super().full_clean()
        upload = self.files.get("image")
        if self.is_bound and self._errors and upload and "image" not in self._errors:
            # The form comes back (a warning, another field's error) with a banner that
            # passed its checks: keep it, so the person need not choose the file again.
            self.data = self.data.copy()
            self.data["held_banner"] = services.hold_banner(upload=upload)
            self.instance.image = services.held_banner(self.data["held_banner"])
            self["image"].help_text = KEPT_BANNER
