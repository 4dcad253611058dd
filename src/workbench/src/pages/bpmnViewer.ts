// The BPMN viewer and its styles in one module, imported on demand so they form their own chunk.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

export default NavigatedViewer;
