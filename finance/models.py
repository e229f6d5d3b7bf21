# The models of this app come with their own issue; the app exists so the admin and URLs have a home.
