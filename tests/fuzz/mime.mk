# fuzz targets of mime/
