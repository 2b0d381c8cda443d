"""The contact form "Создать обращение" (SUP-1)."""


app_name = "support"
urlpatterns: list = []
