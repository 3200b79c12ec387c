"""The browser CMS at ``/admin/`` (Decap CMS, self-hosted): its config generated from the front-matter schema."""
