"""Routes of the customer messages under /api/v1/ (docs/feedback.md)."""

from django.urls import URLPattern, URLResolver, path

from meiduo.feedback import views
from meiduo.goods import urls as goods_urls  # registers the catalog_id path converter (an id the database holds)

ID = goods_urls.CATALOG_ID
urlpatterns: list[URLPattern | URLResolver] = [
    path("messages/", views.MessagesView.as_view(), name="feedback-messages"),
    path(f"messages/<{ID}:message_id>/", views.MessageDetailView.as_view(), name="feedback-message"),
    path(
        f"messages/<{ID}:message_id>/attachment/",
        views.MessageAttachmentView.as_view(),
        name="feedback-message-attachment",
    ),
]
