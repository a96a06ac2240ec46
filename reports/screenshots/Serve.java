import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Serves a folder on 127.0.0.1:PORT for the screenshot script (the Allure report needs HTTP). */
public class Serve {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    Map<String, String> types = Map.of("html", "text/html", "js", "application/javascript", "css", "text/css", "json", "application/json", "png", "image/png", "svg", "image/svg+xml", "txt", "text/plain", "md", "text/markdown");
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 0);
    s.createContext("/", ex -> {
      String p = ex.getRequestURI().getPath();
      Path f = root.resolve(p.equals("/") ? "index.html" : p.substring(1)).normalize();
      if (!f.startsWith(root) || !Files.isRegularFile(f)) {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      String name = f.getFileName().toString();
      ex.getResponseHeaders().add("Content-Type", types.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream"));
      byte[] body = Files.readAllBytes(f);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    });
    s.start();
    System.out.println("serving " + root + " on http://127.0.0.1:" + args[1]);
  }
}
