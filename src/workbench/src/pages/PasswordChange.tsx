import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { errorText, post } from '../api.ts';
import { showFieldErrors, topLevel } from '../forms.ts';

interface Props {
  /** The account must change its password before it can do anything else. */
  forced: boolean;
  onChanged(): void;
  onLogout(): void;
}

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export const passwordChangePath = '/session/password';

export function PasswordChange({ forced, onChanged, onLogout }: Props) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      await post(passwordChangePath, {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      onChanged();
    } catch (e) {
      showFieldErrors(form, e, topLevel('currentPassword', 'newPassword'));
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="gk-login">
      <Card style={{ width: 420 }}>
        <Typography.Title level={4}>修改密码</Typography.Title>
        {forced ? (
          <Alert
            type="warning"
            showIcon
            message="首次登录或密码已被重置，请先设置新密码再使用工作台。"
            style={{ marginBottom: 16 }}
          />
        ) : null}
        {error ? (
          <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />
        ) : null}
        <Form form={form} layout="vertical" onFinish={submit} aria-label="修改密码">
          <Form.Item
            label="当前密码"
            name="currentPassword"
            rules={[{ required: true, message: '请输入当前密码' }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item label="新密码" name="newPassword" rules={[{ required: true, message: '请输入新密码' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label="确认新密码"
            name="confirm"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error('两次输入的新密码不一致')),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              修改密码
            </Button>
            <Button onClick={onLogout}>退出</Button>
          </Space>
        </Form>
      </Card>
    </main>
  );
}
