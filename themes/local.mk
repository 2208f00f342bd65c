dist_themes_DATA += themes/default.theme themes/light.theme \
	themes/solarized-dark.theme themes/mono.theme themes/high-contrast.theme
