from django.urls import URLPattern

# This module's URL patterns, gathered by concord/meetings/urls.py.
urls: list[URLPattern] = []
