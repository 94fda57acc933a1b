" Vim syntax file
" Language:    vendorc vendor file (*.vendor); see vendorc.vendor(5)
" Maintainer:  the vendorc project

if exists('b:current_syntax')
  finish
endif

syntax case match
" Names, domains, dates and port ranges are single words, so that "vendor"
" in vendor-acme or "service" in service.example.io is no keyword.
syntax iskeyword @,48-57,_,-,.

syntax keyword vendorStatement vendor owner ticket justification expires reviewed runs allow egress
syntax keyword vendorKeyword in where service pods from
syntax keyword vendorNever never
" on is a keyword before clusters only: a port may be named on
syntax match vendorKeyword /\<on\ze[ \t]\+clusters\>/

syntax match vendorDelimiter /[{};,]/

" A later match that starts at the same place wins: labels over domains
" (a label key may be a domain), date-times over dates.
syntax match vendorDomain /\%(\*\.\|\<\)\%([A-Za-z0-9]\%([-A-Za-z0-9]*[A-Za-z0-9]\)\=\.\)\+[A-Za-z][-A-Za-z0-9]*[A-Za-z0-9]\>/
syntax match vendorServiceRef /\<[a-z0-9]\%([-a-z0-9]*[a-z0-9]\)\=\/[a-z0-9]\%([-a-z0-9]*[a-z0-9]\)\=\>/
syntax match vendorLabel /\<[A-Za-z0-9_./-]\+=\%("[^"]*"\|[A-Za-z0-9_.-]*\)/
syntax match vendorName /\%(\<vendor\s\+\)\@<=[a-z0-9][-a-z0-9]*/
syntax match vendorNamespace /\%(\<in\s\+\)\@<=[a-z0-9][-a-z0-9]*\>/
" CLUSTERS: the names after "clusters" (not "clusters where"), to the end;
" a match and a region, not a keyword, which would take the place first.
syntax match vendorStatement /\<clusters\>/
syntax region vendorClusters matchgroup=vendorStatement start=/\<clusters\>\%(\s\+where\>\)\@!/ end=/\ze[;#]\|$/ oneline
      \ contains=vendorClusterName,vendorDelimiter
syntax match vendorClusterName /\<[a-z0-9]\%([-a-z0-9]*[a-z0-9]\)\=\>/ contained
syntax match vendorCidr /\<\d\{1,3}\%(\.\d\{1,3}\)\{3}\%(\/\d\{1,2}\)\=/
syntax match vendorCidr /\%([[:xdigit:]]\{0,4}:\)\{2,7}[[:xdigit:]]\{0,4}\%(\/\d\{1,3}\)\=/
syntax match vendorDate /\<\d\{4}-\d\d-\d\d\>/
syntax match vendorDateTime /\<\d\{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d\%(\.\d\+\)\=\%([Zz]\|[+-]\d\d:\d\d\)/

" PORTS: from "port" to the end of the statement, or to "on clusters".
syntax region vendorPorts matchgroup=vendorKeyword start=/\<port\>/ end=/\ze[;#]\|\ze\<on[ \t]\+clusters\>\|$/ oneline
      \ contains=vendorPortNumber,vendorPortName,vendorProtocol,vendorDelimiter
syntax match vendorPortNumber /\<\d\+\%(-\d\+\)\=\>/ contained
syntax match vendorPortName /\<[a-z]\%([-a-z0-9]*[a-z0-9]\)\=\>/ contained
syntax match vendorProtocol /\c\/\%(tcp\|udp\|sctp\)\>/ contained

syntax region vendorString start=/"/ skip=/\\[\\"]/ end=/"/ end=/$/ oneline
      \ contains=vendorEscape,vendorBadEscape
syntax match vendorEscape /\\[\\"]/ contained
syntax match vendorBadEscape /\\[^\\"]/ contained

syntax match vendorComment /#.*$/ contains=vendorTodo,@Spell
syntax keyword vendorTodo TODO FIXME XXX NOTE contained

highlight default link vendorStatement Statement
highlight default link vendorKeyword Keyword
highlight default link vendorNever Constant
highlight default link vendorDelimiter Delimiter
highlight default link vendorDomain Constant
highlight default link vendorServiceRef Identifier
highlight default link vendorLabel Type
highlight default link vendorName Function
highlight default link vendorNamespace Identifier
highlight default link vendorClusterName Identifier
highlight default link vendorCidr Number
highlight default link vendorDate Number
highlight default link vendorDateTime Number
highlight default link vendorPortNumber Number
highlight default link vendorPortName Constant
highlight default link vendorProtocol Type
highlight default link vendorString String
highlight default link vendorEscape SpecialChar
highlight default link vendorBadEscape Error
highlight default link vendorComment Comment
highlight default link vendorTodo Todo

let b:current_syntax = 'vendor'
