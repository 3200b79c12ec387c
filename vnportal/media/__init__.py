"""The media library: pictures with their rights, published in responsive sizes with credits and XMP."""
