" vendorc vendor files: one per vendor, named NAME.vendor.
autocmd BufNewFile,BufRead *.vendor setfiletype vendor
