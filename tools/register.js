// Runs TypeScript sources directly (SWC, with decorator metadata for Nest) so `npm start`
// needs no build step; production images run the compiled dist/ instead.
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('path').join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
