from django.urls import path

from innovaction.outbox import views

app_name = "outbox"

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<int:pk>/", views.notification_detail, name="notification"),
    path(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/",
        views.notification_attachment,
        name="notification_attachment",
    ),
]
