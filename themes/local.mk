dist_themes_DATA +=
