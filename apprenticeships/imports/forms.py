from django import forms

from boroughs.models import Borough

from .reading import MAX_BYTES, MAX_ROWS


class UploadForm(forms.Form):
    borough = forms.ModelChoiceField(
        queryset=Borough.objects.none(),
        label="Borough",
        help_text="The borough these apprentices work for.",
        error_messages={
            "required": "Select the borough these apprentices work for.",
            "invalid_choice": "Select one of your boroughs.",
        },
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text=f"A CSV or Excel (.xlsx) file, up to {MAX_BYTES // 1024 // 1024} MB and "
        f"{MAX_ROWS:,} rows.",
        error_messages={
            "required": "Choose a CSV or Excel file to upload.",
            "empty": "The file is empty.",
        },
    )

    def __init__(self, *args, boroughs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borough"].queryset = boroughs
        self.fields["borough"].empty_label = "Select a borough"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB: the largest accepted is "
                f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        return upload
