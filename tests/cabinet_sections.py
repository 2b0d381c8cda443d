"""A cabinet section and a personal-data part as a further app would contribute them (tests of the registries)."""

from django.urls import path

from accounts.cabinet import CabinetSection, cabinet_view, render_cabinet


@cabinet_view
def wishlist_page(request):
    return render_cabinet(request, "testcabinet/wishlist.html", "wishlist")


# Between "Bonus account" (40) and "Profile" (50).
wishlist = CabinetSection(
    key="wishlist",
    label="Wish list",
    url_name="accounts:wishlist",
    position=45,
    summary="Goods you saved for later.",
    urlpatterns=(path("wishlist/", wishlist_page, name="wishlist"),),
)


def wishes(user):
    return "wishes", [{"owner": user.email}]
