#!/usr/bin/env node
// `npx serial-bridge --config FILE`: headless mode without npm's "> serial-bridge@… headless"
// banner on stdout, so the first line a tool reads is "listening on ws://…".
import './headless.mjs'
