// Compiled entry for production (node dist/...); development and tests resolve the TypeScript sources.
module.exports = require('../../dist/services/case/src/index.js');
