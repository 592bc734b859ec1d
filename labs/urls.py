from django.urls import path

from labs import views

app_name = "labs"
urlpatterns = [
    path("", views.LabListView.as_view(), name="list"),
    path("new/", views.lab_create, name="create"),
    path("mine/", views.my_labs, name="mine"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.LabDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.lab_edit, name="edit"),
    path("<slug:slug>/cover.jpg", views.cover, name="cover"),
    path("<slug:slug>/workspace/", views.workspace, name="workspace"),
    path("<slug:slug>/workspace/invite/", views.invite, name="invite"),
    path("<slug:slug>/workspace/invitations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/workspace/members/<int:pk>/role/", views.change_role, name="change_role"),
    path("<slug:slug>/workspace/members/<int:pk>/remove/", views.remove_member, name="remove_member"),
]
