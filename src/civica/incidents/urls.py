from django.urls import path

from civica.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.layer_list, name="layers"),
    path("<slug:layer>/", views.map_page, name="map"),
    path("<slug:layer>/sectors.geojson", views.sectors_layer, name="sectors"),
    path("<slug:layer>/hotspots.geojson", views.hotspots_layer, name="hotspots"),
    path("<slug:layer>/basemap.geojson", views.basemap_layer, name="basemap"),
    path("<slug:layer>/points.geojson", views.points_layer, name="points"),
    path("<slug:layer>/near-repeat/", views.near_repeat_page, name="near-repeat"),
]
