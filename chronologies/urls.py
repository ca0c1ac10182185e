"""Pages of the chronologies app (included at /chronologies/ by neglect_portal/urls.py)."""

from django.urls import path

from . import theme_views, views

app_name = "chronologies"
urlpatterns = [
    path("child/<int:child_id>/", views.child_chronology, name="child_chronology"),
    path("child/<int:child_id>/patterns/<slug:code>/", views.child_pattern, name="child_pattern"),
    path("child/<int:child_id>/pdf/", views.child_chronology_pdf, name="child_chronology_pdf"),
    path("pdf/<int:export_id>/", views.pdf_export, name="pdf_export"),
    path("pdf/<int:export_id>/download/", views.pdf_export_download, name="pdf_export_download"),
    path("child/<int:child_id>/entries/new/", views.entry_create, name="entry_create"),
    path("family/<int:family_id>/", views.family_chronology, name="family_chronology"),
    path("family/<int:family_id>/patterns/<slug:code>/", views.family_pattern, name="family_pattern"),
    path("entries/<int:entry_id>/amend/", views.entry_amend, name="entry_amend"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    # Issue 14: partnership admins add words to the recurring themes.
    path("theme-words/", theme_views.theme_words, name="theme_words"),
    path("theme-words/<int:word_id>/remove/", theme_views.theme_word_remove, name="theme_word_remove"),
]
