// Bundled and run by serverBundle.test.ts with the build `npm start` uses: prints, as one JSON line, where the
// bundled modules look for their files, and a stack trace raised inside src/ (for the source maps).
import { demoDir } from '../../src/demo/loadDemo.ts';
import { reviewFlowXml } from '../../src/disclosure/reviewFlow.ts';
import { notFound } from '../../src/errors.ts';
import { demoFlowsDir } from '../../src/flows/demoFlows.ts';
import { publicDir } from '../../src/portal/static.ts';
import { workbenchDir } from '../../src/server/workbench.ts';

process.stdout.write(
  `${JSON.stringify({
    demoDir,
    demoFlowsDir,
    publicDir,
    workbenchDir,
    reviewFlowXml: reviewFlowXml(),
    stack: notFound('单位', 'x').stack,
  })}\n`,
);
