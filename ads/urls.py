app_name = "ads"
urlpatterns: list = []
