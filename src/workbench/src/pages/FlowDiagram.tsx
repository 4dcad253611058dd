import { Alert, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { errorText, getText } from '../api.ts';

interface Props {
  flowKey: string;
  version?: number | undefined;
  /** Activity ids of the steps the case stands at: drawn with a red frame. */
  current: string[];
  /** Activity ids already done in this case: drawn with a quiet frame. */
  done?: string[] | undefined;
}

interface Overlays {
  add(element: string, overlay: { position: { top: number; left: number }; html: HTMLElement }): string;
}
interface Registry {
  get(id: string): { width?: number; height?: number } | undefined;
}
interface Canvas {
  zoom(level: 'fit-viewport', center?: 'auto'): number;
}

/**
 * The flow's BPMN chart (bpmn-js NavigatedViewer: pan with the mouse, zoom with the wheel), with the current
 * steps framed. bpmn-js is loaded only when a diagram is shown, so the inboxes stay light.
 */
export function FlowDiagram({ flowKey, version, current, done = [] }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const currentKey = current.join(',');
  const doneKey = done.join(',');

  useEffect(() => {
    let destroyed = false;
    let viewer: { destroy(): void } | null = null;
    setLoading(true);
    setError(null);
    (async () => {
      try {
        const [{ default: NavigatedViewer }, xml] = await Promise.all([
          import('./bpmnViewer.ts'),
          getText(
            `/process-definitions/${encodeURIComponent(flowKey)}/xml${version ? `?version=${version}` : ''}`,
          ),
        ]);
        if (destroyed || !host.current) return;
        const v = new NavigatedViewer({ container: host.current });
        viewer = v;
        await v.importXML(xml);
        if (destroyed) return;
        const canvas = v.get<Canvas>('canvas');
        canvas.zoom('fit-viewport', 'auto');
        const overlays = v.get<Overlays>('overlays');
        const registry = v.get<Registry>('elementRegistry');
        const frame = (id: string, className: string, label: string) => {
          const el = registry.get(id);
          if (!el) return;
          const div = document.createElement('div');
          div.className = className;
          div.setAttribute('role', 'img');
          div.setAttribute('aria-label', label);
          div.style.width = `${(el.width ?? 100) + 10}px`;
          div.style.height = `${(el.height ?? 80) + 10}px`;
          overlays.add(id, { position: { top: -5, left: -5 }, html: div });
        };
        const currentIds = new Set(currentKey ? currentKey.split(',') : []);
        for (const id of doneKey ? doneKey.split(',') : [])
          if (!currentIds.has(id)) frame(id, 'gk-done-step', '已办环节');
        for (const id of currentIds) frame(id, 'gk-current-step', '当前环节');
      } catch (e) {
        if (!destroyed) setError(`流程图无法显示：${errorText(e)}`);
      } finally {
        if (!destroyed) setLoading(false);
      }
    })();
    return () => {
      destroyed = true;
      viewer?.destroy();
    };
  }, [flowKey, version, currentKey, doneKey]);

  return (
    <div>
      {error ? <Alert type="warning" showIcon message={error} /> : null}
      <Spin spinning={loading}>
        <figure className="gk-figure" aria-label="流程图">
          <div ref={host} className="gk-diagram" />
        </figure>
      </Spin>
    </div>
  );
}
