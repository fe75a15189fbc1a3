export function App() {
  return (
    <main>
      <h1>MSP Workbench</h1>
    </main>
  );
}
