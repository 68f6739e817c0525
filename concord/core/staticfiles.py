from django.contrib.staticfiles.apps import StaticFilesConfig


class ConcordStaticFilesConfig(StaticFilesConfig):
    """USWDS ships thousands of icons, three font formats and Sass sources that the site
    never serves; leaving them out takes collectstatic from minutes to seconds."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "material-icons",
        "material-icons-deprecated",
        "uswds-icons",
        "*.ttf",
        "*.woff",
        "*.scss",
    ]
