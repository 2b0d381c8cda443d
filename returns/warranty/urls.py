"""The warranty pages (WAR-3, WAR-7), mounted at /warranty/ by config/urls.py."""

from django.urls import path

from . import cabinet, views

app_name = "warranty"
urlpatterns = [
    path("claim/", views.find_order, name="find"),
    path("mine/", cabinet.my_claims, name="mine"),
    path("o/<str:token>/new/", views.new_claim, name="new"),
    path("c/<str:token>/", views.claim_page, name="claim"),
    path("c/<str:token>/cancel/", views.cancel_after_deadline, name="cancel"),
    path("c/<str:token>/<str:kind>.pdf", views.claim_document, name="document"),
    path("c/<str:token>/files/<int:attachment_id>/", views.claim_attachment, name="attachment"),
    path("forms/complaint.pdf", views.blank_complaint_form, name="blank_complaint"),
    path("forms/withdrawal.pdf", views.blank_withdrawal_form, name="blank_withdrawal"),
]
