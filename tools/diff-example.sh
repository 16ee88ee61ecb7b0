#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Two releases of a made-up web application, as sparse files under DIR/v1
# and DIR/v2, for the README's picture of duflame diff (compare them with
# --apparent-size: sparse files hold no blocks). Between the two, the
# bundle grew, images were added, a vendored library was dropped and the
# old manual went away.
set -eu
dir=${1:?usage: tools/diff-example.sh DIR}
mk() { mkdir -p "$(dirname "$dir/$1")" && : >"$dir/$1" && truncate -s "$2" "$dir/$1"; }
for v in v1 v2; do
    mk $v/src/app.ts 180000
    mk $v/src/router.ts 40000
    mk $v/src/util/format.ts 12000
    mk $v/public/index.html 4000
    mk $v/public/img/logo.png 60000
done
mk v1/dist/app.js 900000
mk v2/dist/app.js 1700000
mk v1/dist/app.js.map 2400000
mk v2/dist/app.js.map 3900000
mk v1/dist/vendor.js 1200000
mk v2/dist/vendor.js 800000
mk v2/public/img/hero.webp 1500000
mk v2/public/img/team.jpg 900000
mk v1/vendor/moment/moment.js 2600000
mk v1/vendor/moment/locale/all.js 1800000
mk v1/docs/manual-old/guide.pdf 3100000
mk v1/docs/manual-old/images/screens.tar 1400000
mk v1/docs/README.md 9000
mk v2/docs/README.md 12000
mk v2/src/i18n/messages.json 250000
