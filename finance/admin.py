# Registered models come with this app's issue; alliance-owned models subclass
# alliance.admin.AllianceScopedAdmin so staff see only their own alliances' rows.
