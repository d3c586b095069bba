from django.urls import path

from . import views

app_name = "pages"

# Short, stable addresses: therapists paste them into emails.
urlpatterns = [
    path("", views.home, name="home"),
    path("faq/", views.faq_list, name="faq"),
    path("faq/<slug:slug>/", views.faq_entry, name="faq_entry"),
    path("conditions/", views.condition_list, name="conditions"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition"),
    # Last: any other single segment is a topic page.
    path("<slug:slug>/", views.topic_detail, name="topic"),
]
