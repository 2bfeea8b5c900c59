// Compiled entry for production (node dist/...); development and tests resolve the TypeScript sources.
module.exports = require('../../dist/libs/fulltext/src/index.js');
